"""Bringing comments in from WordPress and Disqus exports."""
