package io.filehost.folderservice.service;

/** Client-visible messages of the /folder endpoints; the first group is behaviour.md §6 word for word. */
public final class FolderMessages {
    public static final String CREATED = "Folder successfully created.";
    public static final String UPDATED = "Folder successfully updated.";
    public static final String DELETED = "Folder successfully set as deleted.";
    public static final String MOVED = "Folder successfully moved.";
    public static final String NOT_FOUND = "Could not find folder based on folder_id.";
    public static final String MOVE_ONTO_ITSELF = "Param folder_id can not match new_parent_folder_id.";
    public static final String MOVE_DESTINATION_NOT_FOUND =
            "Could not find the destination folder id defined by new_parent_folder_id.";

    // Ours: upstream has no message for these cases (it does not check them).
    public static final String PARENT_NOT_FOUND = "Could not find the destination folder id defined by parent_id.";
    public static final String EDIT_ONTO_ITSELF = "Param folder_id can not match parent_id.";
    public static final String INTO_OWN_DESCENDANT =
            "A folder can not be moved into itself or into one of its own sub-folders.";
    public static final String NAME_TOO_LONG = "The folder_name param can not be longer than 255 characters.";
    public static final String BAD_ACCESS_PASSWORD =
            "The access_password param must be an MD5 hash of the password: 32 hexadecimal characters.";

    private FolderMessages() {
    }
}
