package io.filehost.folderservice.service;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One level of an account's tree: its active folders in name order, and the active files file-service reported for
 * it (already in the listing's field order and filename order, passed through unchanged).
 */
public record FolderListing(List<FolderView> folders, List<ObjectNode> files) {
}
