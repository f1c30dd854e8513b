"""The end of the year's workflows, one per person and step after release: the appeal (klage, appeal.py) and the
re-sit or postponed oral (ny and utsatt eksamen, resit.py); what they share is step.py, their models messages.py."""
