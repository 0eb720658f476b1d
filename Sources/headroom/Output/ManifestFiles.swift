import ArgumentParser
import Foundation
import HeadroomManifests

/// Writes a manifest set under a directory; each file is written beside and moved, so a reader
/// never sees half a manifest.
enum ManifestFiles {
    static func write(_ set: ManifestSet, into directory: String) throws {
        let root = URL(fileURLWithPath: directory)
        for file in set.files {
            let url = root.appendingPathComponent(file.path)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url, options: .atomic)
            } catch {
                throw ValidationError("cannot write \(url.path): \(error.localizedDescription)")
            }
        }
    }
}
