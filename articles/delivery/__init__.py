"""Telling the world, off the request path: webhooks to partners when an article is published,
updated, unpublished or corrected (webhooks.py, signed by signing.py), and the job that makes a
scheduled article visible everywhere at its publish time (going_live.py).

Both start from editorial announcements (editorial/announcements.py, received in receivers.py,
connected in ArticlesConfig.ready()) and run as jobs (articles/jobs.py). This package sits above
public/ because a webhook's body is the API's own representation of the article (public/api.py).
"""
