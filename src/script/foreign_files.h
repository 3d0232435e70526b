#ifndef RETORT_SCRIPT_FOREIGN_FILES_H_
#define RETORT_SCRIPT_FOREIGN_FILES_H_

// Another migration tool's files where retort expected its own: recognised
// so that retort says which tool wrote them and names the `retort import`
// command that converts them (docs/migrating.md), instead of a bare parse
// error. Detection only: nothing here reads a tool's files for real
// (src/import/ does).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "script/script.h"

namespace retort::script {

// The tool that wrote `content` (the bytes of the .sql file `path`), judged
// by its markers and its name: "dbmate" (-- migrate:up), "goose"
// (-- +goose Up), "golang-migrate" (N_name.up.sql / .down.sql), "flyway"
// (V1__name.sql, U1__, R__). nullopt for a file with a 'Revision ID' header
// (retort's own, whatever else is wrong with it) or none of these.
std::optional<std::string> ForeignToolOf(const std::filesystem::path& path,
                                         std::string_view content);

// ParseRevisionFile, except that a file another tool wrote fails with
// "FILE: a dbmate migration, not a retort revision; convert the folder with
// `retort import dbmate FOLDER` (docs/migrating.md)" instead of the parse
// error.
// `stat` (may be null): the file's fstat() as read (ParseRevisionFile).
Script ParseRevisionFileNamingForeignTool(const std::string& path, FileStat* stat = nullptr);

}  // namespace retort::script

#endif  // RETORT_SCRIPT_FOREIGN_FILES_H_
