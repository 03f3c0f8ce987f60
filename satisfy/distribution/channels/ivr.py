"""Post-call IVR surveys as VoiceXML 2.1 documents and TwiML responses.

Only questions answerable with one key press are asked by phone (closed, no rows,
at most nine options); the key layout (ascending or descending) decides which key
means which answer, see ``satisfy.surveys.definition.ivr_keys``.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement, tostring

from satisfy.distribution.channels.render import message_language
from satisfy.surveys.definition import (
    IvrKeyLayout,
    Question,
    SurveyDefinition,
    ivr_keys,
    translate,
)

VXML_NAMESPACE = "http://www.w3.org/2001/vxml"
SRGS_NAMESPACE = "http://www.w3.org/2001/06/grammar"
CALL_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
VOICE_LANGUAGE = {"en": "en-US", "zh-Hans": "zh-CN", "es": "es-ES"}

PROMPTS: dict[str, dict[str, str]] = {
    "offer": {
        "en": "Thank you for calling. Would you answer a short survey about this call? Press 1 for yes, or 2 for no.",
        "zh-Hans": "感谢您的来电。您愿意参加一个关于本次通话的简短调查吗？同意请按1，不同意请按2。",
        "es": "Gracias por llamar. ¿Desea responder una breve encuesta sobre esta llamada? Pulse 1 para sí o 2 para no.",
    },
    "option": {
        "en": "For {label}, press {key}.",
        "zh-Hans": "{label}请按{key}。",
        "es": "Para {label}, pulse {key}.",
    },
    "invalid": {
        "en": "Sorry, that key is not one of the options.",
        "zh-Hans": "对不起，您按的键无效。",
        "es": "Lo sentimos, esa tecla no es una opción.",
    },
    "thanks": {
        "en": "Thank you for your answers. Goodbye.",
        "zh-Hans": "感谢您的回答，再见。",
        "es": "Gracias por sus respuestas. Adiós.",
    },
    "goodbye": {
        "en": "Thank you. Goodbye.",
        "zh-Hans": "谢谢，再见。",
        "es": "Gracias. Adiós.",
    },
}


def prompt(name: str, language: str, **params: object) -> str:
    texts = PROMPTS[name]
    return texts[message_language(language)].format(**params)


def ivr_questions(definition: SurveyDefinition) -> list[Question]:
    """The questions asked by phone, in survey order."""
    return [
        q
        for q in definition.questions()
        if q.is_closed and not q.has_items and len(q.answer_choices) <= 9
    ]


def question_prompt(question: Question, layout: IvrKeyLayout, language: str) -> str:
    """The question text followed by "For <label>, press <key>." for every key."""
    lang = message_language(language)
    parts = [translate(question.text, lang)]
    for key, choice in sorted(
        ivr_keys(question, layout).items(), key=lambda kv: (kv[0] == "0", kv[0])
    ):
        label = translate(choice.label, lang) or choice.code
        parts.append(prompt("option", lang, label=label, key=key))
    return " ".join(parts)


def field_name(question: Question) -> str:
    return f"q_{question.code}"


def _dtmf_grammar(parent: Element, keys: list[str]) -> None:
    grammar = SubElement(
        parent,
        "grammar",
        {"mode": "dtmf", "version": "1.0", "root": "keys", "xmlns": SRGS_NAMESPACE},
    )
    rule = SubElement(grammar, "rule", {"id": "keys", "scope": "public"})
    one_of = SubElement(rule, "one-of")
    for key in keys:
        SubElement(one_of, "item").text = key


def voicexml_survey(
    *,
    definition: SurveyDefinition,
    layout: IvrKeyLayout,
    language: str,
    call_id: str,
    submit_url: str,
) -> bytes:
    """A VoiceXML 2.1 document: the offer, one DTMF field per question, one submit.

    The answers come back to ``submit_url`` as form fields ``call_id``, ``opt_in``
    and ``q_<code>`` (the keys pressed); a hang-up submits what was answered.
    """
    if not CALL_ID_PATTERN.match(call_id):
        raise ValueError(f"call id {call_id!r} has characters a call id never has")
    lang = message_language(language)
    questions = ivr_questions(definition)
    names = ["call_id", "opt_in", *(field_name(q) for q in questions)]
    vxml = Element(
        "vxml",
        {"version": "2.1", "xmlns": VXML_NAMESPACE, "xml:lang": VOICE_LANGUAGE[lang]},
    )
    SubElement(vxml, "property", {"name": "inputmodes", "value": "dtmf"})
    form = SubElement(vxml, "form", {"id": "survey"})
    SubElement(form, "var", {"name": "call_id", "expr": f"'{call_id}'"})
    hangup = SubElement(form, "catch", {"event": "connection.disconnect.hangup"})
    SubElement(
        hangup,
        "submit",
        {"next": submit_url, "method": "post", "namelist": " ".join(names)},
    )
    offer = SubElement(form, "field", {"name": "opt_in"})
    SubElement(offer, "prompt").text = prompt("offer", lang)
    _dtmf_grammar(offer, ["1", "2"])
    filled = SubElement(offer, "filled")
    declined = SubElement(filled, "if", {"cond": "opt_in != '1'"})
    SubElement(declined, "prompt").text = prompt("goodbye", lang)
    SubElement(
        declined,
        "submit",
        {"next": submit_url, "method": "post", "namelist": "call_id opt_in"},
    )
    for question in questions:
        field = SubElement(form, "field", {"name": field_name(question)})
        SubElement(field, "prompt").text = question_prompt(question, layout, lang)
        _dtmf_grammar(field, sorted(ivr_keys(question, layout)))
        nomatch = SubElement(field, "nomatch")
        SubElement(nomatch, "prompt").text = prompt("invalid", lang)
        SubElement(nomatch, "reprompt")
    block = SubElement(form, "block")
    SubElement(
        block,
        "submit",
        {"next": submit_url, "method": "post", "namelist": " ".join(names)},
    )
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + tostring(vxml, encoding="unicode").encode()
    )


def voicexml_goodbye(text: str, language: str) -> bytes:
    """A VoiceXML document that says ``text`` and ends the call."""
    lang = message_language(language)
    vxml = Element(
        "vxml",
        {"version": "2.1", "xmlns": VXML_NAMESPACE, "xml:lang": VOICE_LANGUAGE[lang]},
    )
    form = SubElement(vxml, "form", {"id": "bye"})
    block = SubElement(form, "block")
    SubElement(block, "prompt").text = text
    SubElement(block, "exit")
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + tostring(vxml, encoding="unicode").encode()
    )


def _twiml(response: Element) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + tostring(response, encoding="unicode").encode()
    )


def twiml_gather(
    *, text: str, language: str, action_url: str, keys: int = 1, before: str = ""
) -> bytes:
    """A TwiML ``<Gather>`` for one key press, posting ``Digits`` to ``action_url``."""
    lang = VOICE_LANGUAGE[message_language(language)]
    response = Element("Response")
    if before:
        SubElement(response, "Say", {"language": lang}).text = before
    gather = SubElement(
        response,
        "Gather",
        {
            "input": "dtmf",
            "numDigits": str(keys),
            "action": action_url,
            "method": "POST",
            "timeout": "6",
        },
    )
    SubElement(gather, "Say", {"language": lang}).text = text
    # No key pressed: ask the same step again once through the same action.
    SubElement(response, "Redirect", {"method": "POST"}).text = action_url
    return _twiml(response)


def twiml_hangup(text: str, language: str) -> bytes:
    """TwiML that says ``text`` and hangs up."""
    response = Element("Response")
    SubElement(
        response, "Say", {"language": VOICE_LANGUAGE[message_language(language)]}
    ).text = text
    SubElement(response, "Hangup")
    return _twiml(response)
