//! Moving up from SQLite: copy a whole SQLite database into an empty, migrated PostgreSQL
//! database, then verify each table's row count and checksum on both sides.

use super::{Db, Engine};
use anyhow::{bail, Context};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A column's storage class, from SQLite's declared type (the schema uses only these).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Integer,
    Text,
    Blob,
}

struct Table {
    name: &'static str,
    columns: Vec<(String, Class)>,
}

/// One table's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    pub table: &'static str,
    pub rows: i64,
    /// Hex of an order-independent checksum of every row's values.
    pub checksum: String,
}

/// Rows per INSERT statement (PostgreSQL allows 65,535 parameters per statement).
const BATCH_ROWS: usize = 500;

async fn columns(source: &Db, table: &'static str) -> anyhow::Result<Table> {
    let rows = sqlx::query(&format!("PRAGMA table_info({table})"))
        .fetch_all(&source.pool)
        .await?;
    let mut columns = Vec::new();
    for r in rows {
        let name: String = r.try_get("name")?;
        let declared: String = r.try_get("type")?;
        let class = match declared.to_uppercase().as_str() {
            "INTEGER" | "BIGINT" => Class::Integer,
            "TEXT" => Class::Text,
            "BLOB" => Class::Blob,
            other => bail!("{table}.{name}: unexpected column type {other}"),
        };
        columns.push((name, class));
    }
    if columns.is_empty() {
        bail!("table {table} is missing from the SQLite database");
    }
    Ok(Table {
        name: table,
        columns,
    })
}

/// One value, read by its class, for copying and for the checksum.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Null(Class),
    Integer(i64),
    Text(String),
    Blob(Vec<u8>),
}

fn read(row: &AnyRow, columns: &[(String, Class)]) -> anyhow::Result<Vec<Value>> {
    columns
        .iter()
        .map(|(name, class)| {
            Ok(match class {
                Class::Integer => row
                    .try_get::<Option<i64>, _>(name.as_str())?
                    .map_or(Value::Null(Class::Integer), Value::Integer),
                Class::Text => row
                    .try_get::<Option<String>, _>(name.as_str())?
                    .map_or(Value::Null(Class::Text), Value::Text),
                Class::Blob => row
                    .try_get::<Option<Vec<u8>>, _>(name.as_str())?
                    .map_or(Value::Null(Class::Blob), Value::Blob),
            })
        })
        .collect()
}

/// Sum (mod 2^64) of each row's SHA-256 prefix: the same rows give the same checksum in any
/// order, so the two engines need not sort text alike.
#[derive(Default)]
struct Checksum(u64, i64);

impl Checksum {
    fn add(&mut self, values: &[Value]) {
        let mut h = Sha256::new();
        for v in values {
            match v {
                Value::Null(_) => h.update(b"n\x1f"),
                Value::Integer(i) => h.update(format!("i{i}\x1f").as_bytes()),
                Value::Text(s) => {
                    h.update(b"s");
                    h.update(s.len().to_string().as_bytes());
                    h.update(b":");
                    h.update(s.as_bytes());
                }
                Value::Blob(b) => {
                    h.update(b"b");
                    h.update(b.len().to_string().as_bytes());
                    h.update(b":");
                    h.update(b);
                }
            }
        }
        let digest = h.finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        self.0 = self.0.wrapping_add(u64::from_be_bytes(first));
        self.1 += 1;
    }
}

async fn checksum(db: &Db, table: &Table) -> anyhow::Result<(i64, String)> {
    let list = table
        .columns
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mut sum = Checksum::default();
    let mut after = None::<i64>;
    let has_id = table.columns.iter().any(|(n, _)| n == "id");
    // Tables with an id are read in id ranges so a large table is never held in memory.
    loop {
        let rows = if has_id {
            sqlx::query(&format!(
                "SELECT {list} FROM {} WHERE id > $1 ORDER BY id LIMIT 5000",
                table.name
            ))
            .bind(after.unwrap_or(i64::MIN))
            .fetch_all(&db.pool)
            .await?
        } else {
            sqlx::query(&format!("SELECT {list} FROM {}", table.name))
                .fetch_all(&db.pool)
                .await?
        };
        let n = rows.len();
        for row in &rows {
            let values = read(row, &table.columns)?;
            if has_id {
                after = row.try_get::<Option<i64>, _>("id")?;
            }
            sum.add(&values);
        }
        if !has_id || n < 5000 {
            break;
        }
    }
    Ok((sum.1, format!("{:016x}", sum.0)))
}

async fn copy_table(source: &Db, target: &Db, table: &Table) -> anyhow::Result<()> {
    let list = table
        .columns
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let width = table.columns.len();
    let mut tx = target.pool.begin().await?;
    let mut after = i64::MIN;
    loop {
        // SQLite's rowid order is insertion order: a reply comes after the post it answers.
        let rows = sqlx::query(&format!(
            "SELECT rowid AS copy_rowid, {list} FROM {} WHERE rowid > $1 ORDER BY rowid LIMIT $2",
            table.name
        ))
        .bind(after)
        .bind(BATCH_ROWS as i64)
        .fetch_all(&source.pool)
        .await?;
        if rows.is_empty() {
            break;
        }
        let placeholders = super::value_rows(rows.len(), width);
        let sql = format!("INSERT INTO {} ({list}) VALUES {placeholders}", table.name);
        let mut insert = sqlx::query(&sql);
        for row in &rows {
            for value in read(row, &table.columns)? {
                // A NULL is bound with its column's type, so PostgreSQL accepts it.
                insert = match value {
                    Value::Null(Class::Integer) => insert.bind(None::<i64>),
                    Value::Null(Class::Text) => insert.bind(None::<String>),
                    Value::Null(Class::Blob) => insert.bind(None::<Vec<u8>>),
                    Value::Integer(i) => insert.bind(i),
                    Value::Text(s) => insert.bind(s),
                    Value::Blob(b) => insert.bind(b),
                };
            }
        }
        insert
            .execute(&mut *tx)
            .await
            .with_context(|| format!("copying {}", table.name))?;
        if let Some(last) = rows.last() {
            after = last.try_get("copy_rowid")?;
        }
    }
    // Identity columns continue after the copied ids.
    if table.columns.iter().any(|(n, _)| n == "id") {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{0}', 'id'), COALESCE(MAX(id), 0) + 1, false) \
             FROM {0}",
            table.name
        ))
        .fetch_all(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Copies every table of `source` (SQLite) into `target` (PostgreSQL, migrated here, and
/// empty), then verifies row counts and checksums table by table. Fails without writing if
/// the target holds data.
pub async fn sqlite_to_postgres(source: &Db, target: &Db) -> anyhow::Result<Vec<TableCopy>> {
    if source.engine != Engine::Sqlite || target.engine != Engine::Postgres {
        bail!("copy goes from a SQLite database (--database-url) to a PostgreSQL one (--to)");
    }
    if !source.migrations_current().await? {
        bail!("the SQLite database is not at this version's schema: run `migrate` on it first");
    }
    target.migrate().await?;
    // Parents before children: the reverse of the order tables are emptied in.
    let order: Vec<&'static str> = crate::demo::ALL_TABLES.iter().rev().copied().collect();
    let mut tables = Vec::new();
    for name in &order {
        let table = columns(source, name).await?;
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {name}"))
            .fetch_one(&target.pool)
            .await?;
        // The default point rules come with the schema; the source's rules replace them.
        if n > 0 && *name != "point_rules" {
            bail!("the PostgreSQL database is not empty ({name} has {n} rows): copy into a new database");
        }
        tables.push(table);
    }
    sqlx::query("DELETE FROM point_rules")
        .execute(&target.pool)
        .await?;
    for table in &tables {
        if table.name == "container_post_counts" {
            // Triggers filled it while posts were copied (it comes last); the source's rows,
            // zero counts included, replace those.
            sqlx::query("DELETE FROM container_post_counts")
                .execute(&target.pool)
                .await?;
        }
        copy_table(source, target, table).await?;
    }
    let mut report = Vec::new();
    for table in &tables {
        let (rows, sum) = checksum(source, table).await?;
        let (copied, copied_sum) = checksum(target, table).await?;
        if rows != copied || sum != copied_sum {
            bail!(
                "verification failed for {}: {rows} rows ({sum}) in SQLite, {copied} ({copied_sum}) in PostgreSQL",
                table.name
            );
        }
        report.push(TableCopy {
            table: table.name,
            rows,
            checksum: sum,
        });
    }
    Ok(report)
}
