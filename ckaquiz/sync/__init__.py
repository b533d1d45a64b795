"""One history across devices through a folder the learner's own sync engine carries (`ckaquiz sync`)."""
