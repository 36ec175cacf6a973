"""One module per screen; modal dialogs live here too."""
