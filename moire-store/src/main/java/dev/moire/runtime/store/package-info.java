/**
 * The SQLite store: {@link dev.moire.runtime.store.MoireStore} writes snapshots, their recent
 * journal and their findings to one file that several JVMs can share, and reads them back.
 */
@NullMarked
package dev.moire.runtime.store;

import org.jspecify.annotations.NullMarked;
