"""Invoices and disputes over payment liability."""
