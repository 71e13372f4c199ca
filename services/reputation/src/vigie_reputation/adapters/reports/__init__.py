"""Reports rendered to files: PDF (reportlab, with charts) and CSV."""
