"""The WMS: how stock lies in the warehouse. It has its own database and never imports the core;
everything it learns and reports travels through the exchange."""
