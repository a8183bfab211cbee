"""Store adapters: the client factory per MONGO_URL, the embedded litemongo adaptations, scans."""
