import Logging
import PostgresNIO

extension PostgresConnection {
    /// Bytes per COPY message.
    static let copyChunkBytes = 1 << 20

    /// Streams `rows` into `table` with one `COPY … FROM STDIN` in text format, about a megabyte
    /// per message; `encode` writes one row's fields.
    func copyRows<Row>(into table: String, columns: [String], rows: [Row], logger: Logger,
                       encode: (inout CopyTextEncoder, Row) throws -> Void) async throws {
        try await copyFrom(table: table, columns: columns, logger: logger) { writer in
            var encoder = CopyTextEncoder(capacity: Self.copyChunkBytes + 4096)
            for row in rows {
                try encode(&encoder, row)
                encoder.endRow()
                if encoder.buffer.readableBytes >= Self.copyChunkBytes { try await writer.write(encoder.take()) }
            }
            if encoder.buffer.readableBytes > 0 { try await writer.write(encoder.take()) }
        }
    }
}
