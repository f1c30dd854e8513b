"""The end of the year's rules, after the results are released: the appeal (klage, appeals.py), the re-sit after an
F and the postponed oral after a valid absence (ny and utsatt eksamen, resits.py), and what they share (common.py).
(docs/domain.md, "Release, appeal and re-sit".)"""
