package dev.moire.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Inserts rows into one table {@value #ROWS} rows per statement: SQLite's cost per executed
 * statement (a native step, a change count) is then paid once per chunk instead of once per row,
 * which is most of the time a 100,000-entity snapshot takes to store.
 */
final class MultiInsert implements AutoCloseable {
  static final int ROWS = 256;

  private final Connection connection;
  private final String table;
  private final int columns;
  private final List<@Nullable Object[]> pending = new ArrayList<>(ROWS);
  private @Nullable PreparedStatement full;

  MultiInsert(Connection connection, String table, int columns) {
    this.connection = connection;
    this.table = table;
    this.columns = columns;
  }

  /** Adds one row; its values are in column order (String, Long, Integer or null). */
  void add(@Nullable Object... values) throws SQLException {
    if (values.length != columns) {
      throw new IllegalArgumentException(
          table + " has " + columns + " columns, not " + values.length);
    }
    pending.add(values);
    if (pending.size() == ROWS) {
      if (full == null) {
        full = connection.prepareStatement(sql(ROWS));
      }
      run(full);
    }
  }

  private String sql(int rows) {
    StringBuilder one = new StringBuilder("(");
    for (int c = 0; c < columns; c++) {
      one.append(c == 0 ? "?" : ", ?");
    }
    one.append(')');
    StringBuilder b = new StringBuilder("INSERT INTO ").append(table).append(" VALUES ");
    for (int r = 0; r < rows; r++) {
      b.append(r == 0 ? "" : ", ").append(one);
    }
    return b.toString();
  }

  private void run(PreparedStatement statement) throws SQLException {
    int i = 1;
    for (Object[] row : pending) {
      for (Object v : row) {
        statement.setObject(i++, v);
      }
    }
    statement.executeUpdate();
    pending.clear();
  }

  /** Inserts what is left, and releases the statement. */
  @Override
  public void close() throws SQLException {
    try {
      if (!pending.isEmpty()) {
        try (PreparedStatement rest = connection.prepareStatement(sql(pending.size()))) {
          run(rest);
        }
      }
    } finally {
      if (full != null) {
        full.close();
      }
    }
  }
}
