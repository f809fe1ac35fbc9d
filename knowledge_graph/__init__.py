"""The legal knowledge: statute text from the statute database, and which articles a case needs."""
