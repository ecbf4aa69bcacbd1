"""Organisations (region, hospitals, wards, primary care, municipalities), members and roles."""
