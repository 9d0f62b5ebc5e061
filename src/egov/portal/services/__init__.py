"""Services of the portal that turn issued official documents into portal pages (directive information and the
legal documents library) and measure how fast that happens."""
