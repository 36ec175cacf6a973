"""Care: the queue of everything owed today (:mod:`.queries`, its rules in :mod:`.rules`, the `care_due`
column it reads in :mod:`.due`), promises, concerns and key dates (:mod:`.records`, written by
:mod:`.operations`), and the brief before a call (:mod:`.brief`)."""
