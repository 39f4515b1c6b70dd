import { createRequire as __keywardenCreateRequire } from 'node:module';
const require = __keywardenCreateRequire(import.meta.url);
import{CANARY_ACCOUNTS,accountIdFromKeyId,catalog,detect,displayMatch,getRule,redactValue,ruleIds,rules,scanText}from"./chunks/chunk-5LO7Q6AT.js";import"./chunks/chunk-KZLH7ZUF.js";function detect2(text,options={}){return detect(catalog,text,options)}function scanText2(source,options={}){return scanText(catalog,source,options)}export{CANARY_ACCOUNTS,accountIdFromKeyId,detect2 as detect,displayMatch,getRule,redactValue,ruleIds,rules,scanText2 as scanText};
