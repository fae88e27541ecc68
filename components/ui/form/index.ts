// The console's one set of form primitives: labelled fields, buttons, the form-level message,
// the confirm step, and the hook every server-action form submits through.
export { Button, SubmitButton, type ButtonSize, type ButtonVariant } from "./buttons";
export { CheckboxGroup, type CheckboxOption } from "./checkbox-group";
export { ConfirmButton } from "./confirm-button";
export { EditorContext } from "./editor-context";
export { errorUnder, FieldError, SelectField, TextArea, TextField } from "./fields";
export { FormMessage } from "./form-message";
export { useConsoleForm, type ConsoleFormAction } from "./use-console-form";
