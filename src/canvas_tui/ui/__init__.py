"""The Textual user interface: screens, widgets and the one stylesheet (`canvas.tcss`)."""
