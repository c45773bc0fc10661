package dev.fleettrust.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.embedded.SharedInfrastructure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every migration, run twice. Flyway itself must find nothing left to do the second time, and every
 * migration after V1 must also survive being executed again as plain SQL without changing the
 * schema (V1 predates the rule and is never edited). Each run uses a fresh schema of the shared
 * test database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrationsTest {
  private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.+\\.sql");

  private final String schema = "migrations_" + UUID.randomUUID().toString().replace("-", "");
  private SharedInfrastructure.Endpoints database;

  @BeforeAll
  void createSchema() throws SQLException {
    database = SharedInfrastructure.endpoints();
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
  }

  @AfterAll
  void dropSchema() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  @Test
  void migratingTwiceAppliesEveryMigrationOnceAndReExecutingThemChangesNothing() throws Exception {
    Flyway flyway =
        Flyway.configure()
            .dataSource(database.jdbcUrl(), database.username(), database.password())
            .schemas(schema)
            .defaultSchema(schema)
            .locations("classpath:db/migration")
            .load();

    MigrateResult first = flyway.migrate();
    MigrateResult second = flyway.migrate();

    List<String> scripts = migrationScripts(flyway);
    assertThat(first.migrationsExecuted).isEqualTo(scripts.size()).isGreaterThanOrEqualTo(11);
    assertThat(second.migrationsExecuted).isZero();

    String before = schemaSnapshot();
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("SET search_path TO " + schema);
      for (String script : scripts) {
        if (!script.startsWith("V1__")) {
          statement.execute(read(script));
        }
      }
    }
    assertThat(schemaSnapshot()).isEqualTo(before);
    assertThat(before).contains("device_event", "sign_in_outcome", "trust_profile");
  }

  @Test
  void everyMigrationOpensWithAComment() throws IOException {
    Flyway flyway =
        Flyway.configure()
            .dataSource(database.jdbcUrl(), database.username(), database.password())
            .schemas(schema)
            .locations("classpath:db/migration")
            .load();
    for (String script : migrationScripts(flyway)) {
      assertThat(read(script)).as(script).startsWith("-- Why:");
    }
  }

  private List<String> migrationScripts(Flyway flyway) {
    List<String> names = new ArrayList<>();
    for (var info : flyway.info().all()) {
      names.add(info.getScript());
    }
    names.sort(
        (a, b) -> {
          Matcher ma = VERSIONED.matcher(a);
          Matcher mb = VERSIONED.matcher(b);
          ma.matches();
          mb.matches();
          return Integer.compare(Integer.parseInt(ma.group(1)), Integer.parseInt(mb.group(1)));
        });
    return names;
  }

  private static String read(String script) throws IOException {
    try (InputStream in =
        MigrationsTest.class.getClassLoader().getResourceAsStream("db/migration/" + script)) {
      assertThat(in).as(script).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Tables, columns, indexes, constraints and functions of the schema, as one sorted text. */
  private String schemaSnapshot() throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Connection connection = connect()) {
      query(
          connection,
          "SELECT table_name || '.' || column_name || ' ' || data_type || ' '"
              + " || is_nullable || ' ' || coalesce(column_default, '')"
              + " FROM information_schema.columns WHERE table_schema = '"
              + schema
              + "'",
          lines);
      query(
          connection,
          "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = '" + schema + "'",
          lines);
      query(
          connection,
          "SELECT c.conname || ' ' || pg_get_constraintdef(c.oid) FROM pg_constraint c"
              + " JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = '"
              + schema
              + "'",
          lines);
      query(
          connection,
          "SELECT p.proname || ' ' || md5(p.prosrc) FROM pg_proc p"
              + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = '"
              + schema
              + "'",
          lines);
      query(
          connection,
          "SELECT c.relname || ' ' || coalesce(array_to_string(c.reloptions, ','), '')"
              + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
              + " WHERE n.nspname = '"
              + schema
              + "' AND c.relkind IN ('r', 'p')",
          lines);
    }
    lines.sort(String::compareTo);
    return String.join("\n", lines).toLowerCase(Locale.ROOT);
  }

  private static void query(Connection connection, String sql, List<String> into)
      throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        into.add(rows.getString(1));
      }
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(
        database.jdbcUrl(), database.username(), database.password());
  }
}
