"""The interaction log: recording, editing and answering what clients said (:mod:`.operations`), and the
reads of the log and of what still awaits a reply (:mod:`.queries`)."""
