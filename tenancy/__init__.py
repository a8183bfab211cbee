"""All MongoDB access: client factory, master repositories, names, tenant collections."""
