"""The end of the year through the gateway: registering an appeal and naming its examiners (appeal.py), registering
a re-sit or a postponed oral (resit.py), and what both share (common.py)."""
