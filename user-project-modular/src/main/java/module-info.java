/** A user's production module: it tracks its lock with moire's runtime, and needs nothing else. */
module com.example.inventory {
  requires dev.moire.runtime;

  exports com.example.inventory;
}
