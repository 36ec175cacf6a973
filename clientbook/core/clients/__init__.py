"""Clients: adding and editing them and their contact people (:mod:`.operations`), the reads of the client
list and a client's detail (:mod:`.queries`), search (:mod:`.search`), the list's lines drawn in plain SQL
(:mod:`.lines`)."""
