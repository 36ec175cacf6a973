"""Processes and checklists: writing and versioning processes, starting and ticking checklists
(:mod:`.operations`), their reads (:mod:`.queries`) and the TOML files a process is shared as
(:mod:`.files`)."""
