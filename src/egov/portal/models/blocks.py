"""StreamField blocks of portal pages: rich text, images, documents, a table of facts, a quote."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock


class FactBlock(blocks.StructBlock):
    label = blocks.CharBlock(label="nhãn")
    value = blocks.CharBlock(label="nội dung")

    class Meta:
        icon = "list-ul"
        label = "dòng thông tin"


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label="đoạn văn")
    heading = blocks.CharBlock(label="tiêu đề mục", form_classname="title")
    image = ImageBlock(label="ảnh")
    document = DocumentChooserBlock(label="tệp đính kèm")
    facts = blocks.ListBlock(FactBlock(), label="bảng thông tin")
    quote = blocks.BlockQuoteBlock(label="trích dẫn")
