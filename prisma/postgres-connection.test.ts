import { describe, expect, it } from "vitest";
import { postgresConnection } from "./postgres-connection";

describe("postgresConnection", () => {
  it("splits the URL into separate settings (never a connectionString, which would also steer the shadow database)", () => {
    const { pool, schema } = postgresConnection("postgresql://drydock:s3cr%40t@db.internal:6543/drydock");
    expect(pool).toMatchObject({ host: "db.internal", port: 6543, user: "drydock", password: "s3cr@t", database: "drydock" });
    expect(pool).not.toHaveProperty("connectionString");
    expect(schema).toBeUndefined();
  });

  it("makes ?schema= the connections' search_path, and refuses one that is not a plain name", () => {
    const { pool, schema } = postgresConnection("postgresql://u:p@h/db?schema=drydock_app");
    expect(schema).toBe("drydock_app");
    expect(pool.options).toBe("-c search_path=drydock_app");
    expect(() => postgresConnection("postgresql://u:p@h/db?schema=a;drop")).toThrow(/plain identifier/);
  });

  it("refuses a URL without a database, saying how it should end", () => {
    expect(() => postgresConnection("postgresql://u:p@h:5432")).toThrow(/names no database: end it with \/<database>/);
    expect(() => postgresConnection("postgresql://")).toThrow(/PostgreSQL URL|names no database/);
  });
});
