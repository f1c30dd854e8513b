"""The one place that turns a person's action into a workflow update, used by the command line and the web app."""
