"""Case-type policies and roles: what the machine may do and who decides (DESIGN §6)."""
