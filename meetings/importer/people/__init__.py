"""People across pages: matching name forms (``match``), resolving a page's people to
Participant rows (``resolve``), and the editors' merge and split (``merge``)."""
