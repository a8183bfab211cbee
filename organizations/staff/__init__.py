"""The staff panel (Django admin): views, forms, read side and audited staff services."""
