"""Tools that read a run or a page for people: explain, report, suggest (rules), eval."""
