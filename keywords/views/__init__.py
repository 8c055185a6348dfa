"""The keyword library's pages: the member feed, browsing, proposing, curation, CSV in and out."""
