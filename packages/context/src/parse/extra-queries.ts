/**
 * Patterns layered over each grammar's shipped tags.scm. Capture names follow
 * the tags convention (`@name` plus a role): `@definition.<kind>`,
 * `@reference.<kind>`, and two of ours: `@import` (the name is the imported
 * module or path) and `@inherit` (the name is a base type of the enclosing
 * class-like node).
 */
export const EXTRA_QUERIES = {
  python: `
(import_statement name: (dotted_name) @name) @import
(import_statement name: (aliased_import name: (dotted_name) @name)) @import
(import_from_statement module_name: (_) @name) @import
(class_definition superclasses: (argument_list [(identifier) @name (attribute attribute: (identifier) @name)])) @inherit
(decorator [(identifier) @name (attribute attribute: (identifier) @name) (call function: [(identifier) @name (attribute attribute: (identifier) @name)])]) @reference.call
(attribute attribute: (identifier) @name) @reference.attribute
(type (identifier) @name) @reference.type
(class_definition superclasses: (argument_list (identifier) @name)) @reference.class
`,
  javascript: `
(import_statement source: (string (string_fragment) @name)) @import
((call_expression function: (identifier) @_req arguments: (arguments (string (string_fragment) @name))) @import (#eq? @_req "require"))
(class_heritage [(identifier) @name (member_expression property: (property_identifier) @name)]) @inherit
(class_heritage (identifier) @name) @reference.class
`,
  typescript: `
(import_statement source: (string (string_fragment) @name)) @import
(extends_clause value: [(identifier) @name (member_expression property: (property_identifier) @name)]) @inherit
(implements_clause (type_identifier) @name) @inherit
(extends_type_clause type: (type_identifier) @name) @inherit
(type_alias_declaration name: (type_identifier) @name) @definition.type
(enum_declaration name: (identifier) @name) @definition.enum
(type_identifier) @name @reference.type
(extends_clause value: (identifier) @name) @reference.class
`,
  go: `
(import_spec path: (interpreted_string_literal (interpreted_string_literal_content) @name)) @import
(field_declaration_list (field_declaration !name type: [(type_identifier) @name (pointer_type (type_identifier) @name)])) @inherit
`,
  rust: `
(use_declaration argument: (_) @name) @import
(impl_item trait: [(type_identifier) @name (scoped_type_identifier name: (type_identifier) @name)] type: (type_identifier)) @inherit
(type_identifier) @name @reference.type
(scoped_identifier name: (identifier) @name) @reference.path
`,
  java: `
(import_declaration (scoped_identifier) @name) @import
(superclass (type_identifier) @name) @inherit
(super_interfaces (type_list (type_identifier) @name)) @inherit
(extends_interfaces (type_list (type_identifier) @name)) @inherit
(enum_declaration name: (identifier) @name) @definition.enum
(constructor_declaration name: (identifier) @name) @definition.method
(type_identifier) @name @reference.type
`,
  c: `
(preproc_include path: [(string_literal (string_content) @name) (system_lib_string) @name]) @import
(call_expression function: (identifier) @name) @reference.call
(call_expression function: (field_expression field: (field_identifier) @name)) @reference.call
(type_identifier) @name @reference.type
(preproc_function_def name: (identifier) @name) @definition.macro
`,
  cpp: `
(preproc_include path: [(string_literal (string_content) @name) (system_lib_string) @name]) @import
(call_expression function: [(identifier) @name (field_expression field: (field_identifier) @name) (qualified_identifier name: (identifier) @name)]) @reference.call
(base_class_clause (type_identifier) @name) @inherit
(function_declarator declarator: (qualified_identifier name: (qualified_identifier name: (identifier) @name))) @definition.method
(namespace_definition name: (namespace_identifier) @name) @definition.module
(type_identifier) @name @reference.type
(preproc_function_def name: (identifier) @name) @definition.macro
`,
} as const;
