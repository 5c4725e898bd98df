"""The instant start: the editor's canvas painted in a raw terminal before Textual is imported
(`terminal.py`, `start.py`), then handed over to Textual on the same screen (`driver.py`)."""
