package io.filehost.folderservice.support;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Direct reads of folder-service's tables, to check what the API cannot show (trash rows, the outbox). */
public final class Db {
    private Db() {
    }

    public static List<Map<String, Object>> rows(DataSource dataSource, String sql, Object... args) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                        row.put(rs.getMetaData().getColumnLabel(c), rs.getObject(c));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The outbox rows written for an account (the event key), oldest first. */
    public static List<Map<String, Object>> outbox(DataSource dataSource, long accountId) {
        return rows(dataSource, "select id, topic, event_key, payload::text as payload, published_at from outbox_event"
                + " where event_key = ? order by id", Long.toString(accountId));
    }
}
