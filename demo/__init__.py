"""The main job: a whole cohort through a compressed year on the embedded server, played from a scenario."""
