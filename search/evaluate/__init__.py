"""Measuring the product against gold data: the cleaner against gold article
text (`cleaner`, `search eval-clean`) and the ranking against a test
collection's judgements (`ranking`, `search eval`)."""
