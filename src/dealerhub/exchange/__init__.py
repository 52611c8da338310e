"""The exchange: an intermediate database of messages between the accounting core and a WMS."""
