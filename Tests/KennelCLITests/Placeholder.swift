// CLI tests follow.
