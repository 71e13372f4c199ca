"""Reports (pure): what a report holds, its fixed texts per language, locale formatting and the
periods of schedules. Rendering lives in adapters/reports, gathering in app/report_data.py."""
