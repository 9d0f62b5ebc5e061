"""Services of the document system (the business rules). One module per area; import from the module."""
