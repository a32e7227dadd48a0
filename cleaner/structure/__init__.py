"""Structure: a page's lines into articles (segments), headline, standfirst, dateline, language."""
