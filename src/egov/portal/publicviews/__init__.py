"""Public pages of the portal outside Wagtail's page tree (legal library search, procedures, statistics) and the
back-office KPI page. (``portal/views.py`` is the site's page server and search; these live apart.)"""
