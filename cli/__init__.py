"""The command line of starter.py: the rules commands, the study administration's actions, output."""
