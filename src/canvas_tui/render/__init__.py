"""Renderings of a canvas for `show` and `export`: text, Markdown, JSON, TOML, HTML. No Textual."""
