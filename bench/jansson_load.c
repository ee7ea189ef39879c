/* The baseline the streaming reader is measured against: jansson loading a whole document
 * into memory, as a non-streaming reader would. */
#include <jansson.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    json_error_t err;
    json_t *root = json_load_file(argv[1], 0, &err);
    if (!root) {
        fprintf(stderr, "%s:%d:%d: %s\n", argv[1], err.line, err.column, err.text);
        return 1;
    }
    printf("%zu top-level keys\n", json_object_size(root));
    json_decref(root);
    return 0;
}
