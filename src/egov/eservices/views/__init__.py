"""Pages of the public side: citizens' accounts, online submission and their dossiers, the public lookup."""
