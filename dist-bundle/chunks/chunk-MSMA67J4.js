import { createRequire as __keywardenCreateRequire } from 'node:module';
const require = __keywardenCreateRequire(import.meta.url);
var SHOWN_WHOLE=new Set(["aws-access-key-id","aws-temporary-access-key-id"]),MASK="*".repeat(16);function redactValue(ruleId,value){return SHOWN_WHOLE.has(ruleId)?value:value.slice(0,4)+MASK}function displayMatch(finding,showSecrets){return showSecrets?finding.match:redactValue(finding.ruleId,finding.match)}export{redactValue,displayMatch};
