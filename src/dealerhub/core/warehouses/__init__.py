"""warehouses"""
